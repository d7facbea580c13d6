"""What can go on a card besides plain text: maths formulas, drawn as vector outlines."""
