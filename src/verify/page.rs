//! What a page says of itself: its title and publication date.
