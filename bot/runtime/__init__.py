"""Running the three processes locally: model cache, engine/actions/app supervision."""
