"""The built-in layouts, one module per printed material (shipped as printkit.layouts)."""
