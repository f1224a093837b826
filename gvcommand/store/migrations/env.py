"""Alembic environment: migrations run on a connection the program hands over."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from gvcommand.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
