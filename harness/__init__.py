"""What the tests, the benchmarks and the reliability suite share: scratch databases and a real
server process started and waited for."""
