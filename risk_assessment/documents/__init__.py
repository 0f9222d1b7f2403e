"""Documents made from risk assessment records: meeting agendas and minutes as PDF and Word."""
