"""Cross-document alignment: which measures, indicators, sections and documents correspond."""
