from django.dispatch import Signal

# Sent after the core reference data is loaded; apps above programmes connect their own loaders to it
# (in INSTALLED_APPS order), so the core never imports them.
reference_data_loaded = Signal()
