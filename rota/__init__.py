"""Engineers, presence and the out-of-hours duty rota."""
