"""``productImport``: admins import products from CSV or JSON Lines sent inline."""

from __future__ import annotations

import strawberry

from subgraphs.products import importer
from subgraphs.products.api.catalog import admin_id
from subgraphs.products.api.types import Info
from subgraphs.products.import_rows import ImportFormat

# strawberry.enum marks the class as this GraphQL enum.
strawberry.enum(ImportFormat, name="ProductImportFormat")


@strawberry.input
class ProductImportInput:
    format: ImportFormat
    content: str = strawberry.field(
        description="The file's text: a CSV header row and rows, or one JSON object per line. "
        f"At most {importer.MAX_CONTENT_CHARS} characters."
    )


@strawberry.type
class ProductImportRejectedRow:
    line: int
    code: str
    message: str
    field: str | None


@strawberry.type
class ProductImportPayload:
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejected_rows: list[ProductImportRejectedRow] = strawberry.field(
        description=f"The first {importer.MAX_REPORTED_REJECTIONS}, by line."
    )

    @classmethod
    def from_report(cls, report: importer.ImportReport) -> ProductImportPayload:
        return cls(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
            rejected_rows=[
                ProductImportRejectedRow(
                    line=row.line, code=row.code, message=row.message, field=row.field
                )
                for row in report.rejected_rows
            ],
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Admins only. Creates or updates products by SKU; each row is checked "
        "alone, and rejected rows are reported with their line and reason."
    )
    async def product_import(self, info: Info, input: ProductImportInput) -> ProductImportPayload:
        actor = await admin_id(info)
        report = await importer.import_content(
            info.context.db, input.content, input.format, actor=actor
        )
        return ProductImportPayload.from_report(report)
