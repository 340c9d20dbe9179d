"""Data shapes only: wire models and tables. Importing the package registers every table."""

from models import state as state
from models import tables as tables
