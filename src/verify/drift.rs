//! Does the page still say what it said when first archived?
