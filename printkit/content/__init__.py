"""What a card can hold: styled text, maths and pictures, parsed from a deck's text once."""
