"""NoteGen AI APIs service: the FastAPI app behind the ALB (health endpoints so far)."""
