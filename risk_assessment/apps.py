from django.apps import AppConfig


class RiskAssessmentConfig(AppConfig):
    name = "risk_assessment"

    def ready(self) -> None:
        # referrals imports and exports the data exchange files; this app owns assessments.csv.
        from referrals.data_exchange.registry import register_file
        from risk_assessment.data_exchange import ASSESSMENTS_FILE

        register_file(ASSESSMENTS_FILE.spec.name, ASSESSMENTS_FILE)
