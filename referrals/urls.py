from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("<uuid:pk>/", views.child_detail, name="child_detail"),
    path("<uuid:pk>/access-log/", views.child_access_log, name="child_access_log"),
]
