"""The project leader's set-up pages of a programme, under /program/<slug>/oppsett/ (included by portfolio.urls)."""

urlpatterns = []
