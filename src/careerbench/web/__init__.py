"""Server-rendered pages over the library, with a little JavaScript for the charts."""
