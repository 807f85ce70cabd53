from .applications import Application, Evidence
from .assessments import SelfAssessment
from .register import Cell

__all__ = ["Application", "Cell", "Evidence", "SelfAssessment"]
