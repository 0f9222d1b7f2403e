from django.apps import AppConfig


class RiskAssessmentConfig(AppConfig):
    name = "risk_assessment"
