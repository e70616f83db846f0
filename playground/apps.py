from django.apps import AppConfig


class PlaygroundConfig(AppConfig):
    name = "playground"

    def ready(self) -> None:
        # Lesson rooms get their tracker when loaded, the class view shows each fork's
        # lesson progress, and `manage.py check` (which `runserver` runs) reports a lesson
        # file that is not valid.
        from playground import checks, lessons, rooms

        rooms.register_follower(lessons.follower_for)
        rooms.add_progress(lessons.progress_words)
        checks.register()
