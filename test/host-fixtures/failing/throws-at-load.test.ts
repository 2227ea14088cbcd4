// Self-check fixture (not part of the host suite): a test file that throws while it is loaded.
throw new Error('fixture: thrown while loading');
