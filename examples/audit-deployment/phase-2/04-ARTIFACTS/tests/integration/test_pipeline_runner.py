"""Integration tests of the pipeline runner: load, train and report on a small fixture data set."""
from bot_data_scientist.pipeline.runner import run_pipeline


def test_pipeline_produces_a_report(tmp_path, small_dataset):
    report = run_pipeline(small_dataset, out_dir=tmp_path)
    assert report.path.exists()
    assert report.metrics["rows"] == 1000
