"""Performance test framework: analysts requesting reports."""
from locust import HttpUser, between, task


class Analyst(HttpUser):
    wait_time = between(1, 3)

    @task
    def report(self):
        self.client.get("/reports/latest")
