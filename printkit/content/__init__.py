"""What goes on a card besides text: pictures."""
