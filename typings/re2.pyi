# The parts of google-re2 that Kubeplay uses: the package ships no type information.
from collections.abc import Iterator
from typing import Any, AnyStr, Generic

class error(Exception): ...

class Options:
    max_mem: int
    posix_syntax: bool
    longest_match: bool
    log_errors: bool
    literal: bool
    never_nl: bool
    dot_nl: bool
    never_capture: bool
    case_sensitive: bool
    perl_classes: bool
    word_boundary: bool
    one_line: bool

class _Match(Generic[AnyStr]):
    def group(self, *groups: int | str) -> AnyStr | Any: ...
    def start(self, group: int | str = 0) -> int: ...
    def end(self, group: int | str = 0) -> int: ...

class _Regexp(Generic[AnyStr]):
    def search(
        self, text: AnyStr, pos: int | None = None, endpos: int | None = None
    ) -> _Match[AnyStr] | None: ...
    def finditer(
        self, text: AnyStr, pos: int | None = None, endpos: int | None = None
    ) -> Iterator[_Match[AnyStr]]: ...
    def split(self, text: AnyStr, maxsplit: int = 0) -> list[AnyStr]: ...

def compile(pattern: AnyStr, options: Options | None = None) -> _Regexp[AnyStr]: ...
