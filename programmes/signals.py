from django.dispatch import Signal

# Sent after the core reference data is loaded; apps above programmes connect their own loaders to it
# (in INSTALLED_APPS order), so the core never imports them.
reference_data_loaded = Signal()

# Sent by a service that changed rows with QuerySet.update(), which sends no post_save, so caches built from those
# rows (the reporting figures) are dropped too. ``sender`` is the model whose rows changed.
rows_updated = Signal()

# Sent by ``project_delete`` before it deletes: ``sender=Project, project=<Project>``. Apps above the core whose rows
# point at projects answer with a list of ``(description, count)`` pairs, e.g. ``[("2 calendar events", 2)]``; any
# non-zero count refuses the delete.
project_references = Signal()
