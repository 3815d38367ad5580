"""purecffi: the C Foreign Function Interface for Python, in pure Python."""
