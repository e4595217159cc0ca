"""The survey pages: staff of the municipality; figures only, never a respondent."""

from django.urls import path

from trygg.surveys import views, views_events, views_report

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/skattningar.csv", views.survey_csv, name="csv"),
    path("<int:pk>/handelser/", views_events.survey_events, name="events"),
    path("<int:pk>/rapport/", views_report.survey_report, name="report"),
    path("<int:pk>/rapport/pdf/", views_report.survey_report_pdf, name="report_pdf"),
    path("<int:pk>/rapport/<int:area_pk>/", views_report.area_report, name="area_report"),
    path(
        "<int:pk>/rapport/<int:area_pk>/pdf/", views_report.area_report_pdf, name="area_report_pdf"
    ),
    path("<int:pk>/filer/", views.survey_files, name="files"),
    path("<int:pk>/filer/befolkning/", views.upload_population, name="population"),
    path("<int:pk>/filer/svar/", views.upload_responses, name="responses"),
    path("<int:pk>/filer/urval/", views.sample_sizes, name="sample_sizes"),
]
