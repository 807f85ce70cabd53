"""StreamField blocks shared by the content pages."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        label = "小标题"


class DataTableBlock(blocks.StructBlock):
    """A real data table (first row is the header) with its caption and source."""

    caption = blocks.CharBlock(label="表题")
    table = TableBlock(label="表格", table_options={"startRows": 3, "startCols": 3})
    source = blocks.CharBlock(label="数据来源", required=False)

    class Meta:
        icon = "table"
        template = "blocks/data_table.html"
        label = "数据表"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="说明", required=False)
    alt = blocks.CharBlock(label="替代文字", help_text="供读屏软件朗读")

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = "图片"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引文")
    attribution = blocks.CharBlock(label="出处", required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = "引文"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_FEATURES, label="段落")
    table = DataTableBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()


class ScoreLevelBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="等级", help_text="例如：完全符合 / 基本符合 / 不符合")
    points = blocks.DecimalBlock(label="得分", min_value=0, decimal_places=1)


class StandardIndicatorBlock(blocks.StructBlock):
    """One scored indicator. `code` is its stable key: self-assessments, applications and the
    comparison of versions refer to indicators by it, so a new version keeps the code of an
    indicator it carries over."""

    code = blocks.CharBlock(label="编号", max_length=20, help_text="例如 1.2；同一标准内唯一")
    name = blocks.CharBlock(label="指标")
    description = blocks.TextBlock(label="评分要求与指引", required=False)
    evidence = blocks.TextBlock(label="佐证材料", required=False)
    max_score = blocks.DecimalBlock(label="分值", min_value=0, decimal_places=1)
    method = blocks.ChoiceBlock(
        choices=[("yesno", "是/否"), ("graded", "分级评分"), ("deduction", "按问题扣分")],
        default="yesno",
        label="评分方式",
    )
    levels = blocks.ListBlock(ScoreLevelBlock(), label="等级（分级评分时填写）", default=[])
    deduction = blocks.DecimalBlock(
        label="每处问题扣分（按问题扣分时填写）", required=False, min_value=0, decimal_places=1
    )
    required = blocks.BooleanBlock(label="必答", required=False, default=True)


class StandardDimensionBlock(blocks.StructBlock):
    """A dimension of a 无废细胞 standard (e.g. 制度建设) and its scored indicators."""

    name = blocks.CharBlock(label="维度")
    indicators = blocks.ListBlock(StandardIndicatorBlock(), label="指标")

    class Meta:
        icon = "list-ul"
        template = "blocks/standard_dimension.html"
        label = "评价维度"


class BonusItemBlock(blocks.StructBlock):
    code = blocks.CharBlock(label="编号", max_length=20)
    text = blocks.CharBlock(label="加分项")
    points = blocks.DecimalBlock(label="加分", min_value=0, decimal_places=1)

    class Meta:
        icon = "plus"
        label = "加分项"
