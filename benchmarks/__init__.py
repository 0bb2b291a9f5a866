"""Xã Số's own benchmarks and the data generator they share with the tests."""
