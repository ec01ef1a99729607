"""Plugin machinery: the plugin manager (``manager``), what plugins contributed (``registry``),
distributions found through entry points (``entrypoints``) and their description (``info``)."""
