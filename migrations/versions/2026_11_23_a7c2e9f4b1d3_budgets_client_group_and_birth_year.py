"""budgets: client group (primary support reason) and year of birth, for the
commissioners' take-up and spend reports by group and age band

Revision ID: a7c2e9f4b1d3
Revises: e5a1c3d7b9f2
Create Date: 2026-11-23 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'a7c2e9f4b1d3'
down_revision = 'e5a1c3d7b9f2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_group', sa.Enum(
            'physical_support', 'sensory_support', 'memory_and_cognition',
            'learning_disability', 'mental_health', 'social_support', 'carer',
            'disabled_child', name='client_group', native_enum=False, length=40),
            nullable=True))
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_budgets_birth_year_in_range'), 'birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100')


def downgrade() -> None:
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_budgets_birth_year_in_range'), type_='check')
        batch_op.drop_column('birth_year')
        batch_op.drop_column('client_group')
