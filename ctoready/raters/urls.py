app_name = "raters"
urlpatterns: list[object] = []
