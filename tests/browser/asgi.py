"""The app as browser tests serve it: production settings, plus static files.

With DEBUG off Django serves no static files, and there is no front proxy
here, so wrap the app as Channels' own live server does.
"""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from playground.asgi import application as playground_application

application = ASGIStaticFilesHandler(playground_application)
