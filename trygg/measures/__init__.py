"""Åtgärder and the åtgärdsplan: who is responsible where, measures and their follow-up, the
EST meeting's decisions, reminders, and whether a measure worked."""
