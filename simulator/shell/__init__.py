"""The shell layer: what happens between a typed line and the programs it runs.

Modules, each with one job:

* `syntax` - a line's words, quotes, pipes, lists (`;`, `&&`, `||`) and redirections;
* `expand` - `$VARIABLES` and field splitting;
* `machine` - what a line runs on (`Machine`) and what builtins see of the shell;
* `runner` - runs a parsed line on a `Machine` (the workstation or a container);
* `builtins` - echo, export, alias, unalias, cd, pwd, exit, true, false;
* `filters` - grep, head, tail, wc, sort, uniq, tr, cut, awk, base64;
* `workstation` - the learner's own machine: its files, aliases, variables, and the
  programs it has (kubectl, curl, openssl...);
* `openssl` (+ `der`) - the key and certificate commands of the notes;
* `session` - an interactive shell in a pod, as the terminal opens it.

Every change a line makes (a file, an alias, a variable) is made by a command
line, so a room's log replays it byte for byte.
"""
