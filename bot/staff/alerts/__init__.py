"""Alerts for staff: emergencies, requests for a person, complaints."""
