"""Rules written as YAML files: ``rulefile`` reads and compiles them, ``conditions`` is their
language of JSON Schema conditions and message templates."""
