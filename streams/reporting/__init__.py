"""What people read of the database: `dyadwatch events` and `dyadwatch report`, and the
reads, names and dates the dashboard shows them with. It reads the tables and views the
stages write; no stage imports it back."""
