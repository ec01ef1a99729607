"""The engine: judge one requirements document against every platform's facts with every rule.

``core`` holds the Engine; ``rulecall`` runs one rule safely, ``reuse`` remembers judgements across
files, ``timelimit`` stops a hung plugin rule, and ``policy`` is select/ignore/severity."""
