"""A municipality's budget: the model, reading CSV/XLSX files, validation and the citizens' budget figures."""
