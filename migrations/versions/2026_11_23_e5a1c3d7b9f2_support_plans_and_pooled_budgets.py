"""budgets: support plans (versions, outcomes, spending, risks, decisions, reviews) and
pooled budgets

Support plans keep every version: a version's content is frozen once submitted,
council decisions and reviews are rows of their own. A pool groups budgets (of one
council) to be seen together; each keeps its own ledger. Both need the ledger
helper's ``budgets`` table, hence the parent revision.

Revision ID: e5a1c3d7b9f2
Revises: b4d2e6f81c39
Create Date: 2026-11-23 01:51:13.874073
"""

from alembic import op
import sqlalchemy as sa
import marketplace.db


revision = 'e5a1c3d7b9f2'
down_revision = 'b4d2e6f81c39'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('budget_pools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_budget_pools_council_id_councils')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_budget_pools_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_pools'))
    )
    with op.batch_alter_table('budget_pools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_pools_council_id'), ['council_id'], unique=False)

    op.create_table('budget_pool_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_budget_pool_members_budget_id_budgets')),
    sa.ForeignKeyConstraint(['pool_id'], ['budget_pools.id'], name=op.f('fk_budget_pool_members_pool_id_budget_pools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_pool_members')),
    sa.UniqueConstraint('pool_id', 'budget_id', name='uq_budget_pool_members_pair')
    )
    with op.batch_alter_table('budget_pool_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_pool_members_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_pool_members_pool_id'), ['pool_id'], unique=False)

    op.create_table('support_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=True),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'agreed', 'changes_requested', 'refused', name='plan_status', native_enum=False, length=40), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_support_plans_budget_id_budgets')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_support_plans_council_id_councils')),
    sa.ForeignKeyConstraint(['holder_id'], ['users.id'], name=op.f('fk_support_plans_holder_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plans'))
    )
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plans_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index('ix_support_plans_council_status', ['council_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_plans_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_plans_next_review_on'), ['next_review_on'], unique=False)

    op.create_table('support_plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'agreed', 'changes_requested', 'refused', name='plan_version_status', native_enum=False, length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', marketplace.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_support_plan_versions_number_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_support_plan_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_support_plan_versions_plan_id_support_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_support_plan_versions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_versions')),
    sa.UniqueConstraint('plan_id', 'number', name='uq_support_plan_versions_number')
    )
    with op.batch_alter_table('support_plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_versions_plan_id'), ['plan_id'], unique=False)

    op.create_table('support_plan_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('agreed', 'changes_requested', 'refused', name='plan_decision', native_enum=False, length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('first_review_on', sa.Date(), nullable=True),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_support_plan_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['support_plan_versions.id'], name=op.f('fk_support_plan_decisions_version_id_support_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_decisions'))
    )
    with op.batch_alter_table('support_plan_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_decisions_version_id'), ['version_id'], unique=False)

    op.create_table('support_plan_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.Enum('choice_and_control', 'health_and_wellbeing', 'staying_safe', 'part_of_community', 'work_and_learning', 'daily_living', 'relationships', name='outcome_domain', native_enum=False, length=40), nullable=False),
    sa.Column('what_i_want', sa.Text(), nullable=False),
    sa.Column('what_i_will_do', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['support_plan_versions.id'], name=op.f('fk_support_plan_outcomes_version_id_support_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_outcomes'))
    )
    with op.batch_alter_table('support_plan_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_outcomes_version_id'), ['version_id'], unique=False)

    op.create_table('support_plan_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('next_review_on', sa.Date(), nullable=False),
    sa.Column('created_at', marketplace.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['support_plans.id'], name=op.f('fk_support_plan_reviews_plan_id_support_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_support_plan_reviews_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['support_plan_versions.id'], name=op.f('fk_support_plan_reviews_version_id_support_plan_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_reviews'))
    )
    with op.batch_alter_table('support_plan_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_reviews_plan_id'), ['plan_id'], unique=False)

    op.create_table('support_plan_risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('risk', sa.Text(), nullable=False),
    sa.Column('how_managed', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['support_plan_versions.id'], name=op.f('fk_support_plan_risks_version_id_support_plan_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_risks'))
    )
    with op.batch_alter_table('support_plan_risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_risks_version_id'), ['version_id'], unique=False)

    op.create_table('support_plan_review_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.Enum('choice_and_control', 'health_and_wellbeing', 'staying_safe', 'part_of_community', 'work_and_learning', 'daily_living', 'relationships', name='review_outcome_domain', native_enum=False, length=40), nullable=False),
    sa.Column('result', sa.Enum('better', 'same', 'worse', name='review_result', native_enum=False, length=40), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['support_plan_reviews.id'], name=op.f('fk_support_plan_review_results_review_id_support_plan_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_review_results')),
    sa.UniqueConstraint('review_id', 'domain', name='uq_support_plan_review_results_domain')
    )
    with op.batch_alter_table('support_plan_review_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_review_results_review_id'), ['review_id'], unique=False)

    op.create_table('support_plan_spend_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_pence > 0', name=op.f('ck_support_plan_spend_lines_amount_positive')),
    sa.ForeignKeyConstraint(['outcome_id'], ['support_plan_outcomes.id'], name=op.f('fk_support_plan_spend_lines_outcome_id_support_plan_outcomes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_plan_spend_lines'))
    )
    with op.batch_alter_table('support_plan_spend_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_plan_spend_lines_outcome_id'), ['outcome_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('support_plan_spend_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_spend_lines_outcome_id'))

    op.drop_table('support_plan_spend_lines')
    with op.batch_alter_table('support_plan_review_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_review_results_review_id'))

    op.drop_table('support_plan_review_results')
    with op.batch_alter_table('support_plan_risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_risks_version_id'))

    op.drop_table('support_plan_risks')
    with op.batch_alter_table('support_plan_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_reviews_plan_id'))

    op.drop_table('support_plan_reviews')
    with op.batch_alter_table('support_plan_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_outcomes_version_id'))

    op.drop_table('support_plan_outcomes')
    with op.batch_alter_table('support_plan_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_decisions_version_id'))

    op.drop_table('support_plan_decisions')
    with op.batch_alter_table('support_plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plan_versions_plan_id'))

    op.drop_table('support_plan_versions')
    with op.batch_alter_table('support_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_plans_next_review_on'))
        batch_op.drop_index(batch_op.f('ix_support_plans_holder_id'))
        batch_op.drop_index('ix_support_plans_council_status')
        batch_op.drop_index(batch_op.f('ix_support_plans_budget_id'))

    op.drop_table('support_plans')
    with op.batch_alter_table('budget_pool_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_pool_members_pool_id'))
        batch_op.drop_index(batch_op.f('ix_budget_pool_members_budget_id'))

    op.drop_table('budget_pool_members')
    with op.batch_alter_table('budget_pools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_pools_council_id'))

    op.drop_table('budget_pools')
