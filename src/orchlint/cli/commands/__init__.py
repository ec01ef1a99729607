"""One module per ``orchlint`` command: the module ``what_if`` defines the command ``what-if``.

Each module's ``COMMAND`` is the click command. The CLI lists and imports them by module name,
so a command cannot be added without its module, nor a module without its command."""
