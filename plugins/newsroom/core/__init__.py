"""Core: the model, URL rules, dates, ids, names, problems. Standard library only (+ pypinyin)."""
