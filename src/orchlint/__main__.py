from orchlint.cli import entry

entry()
