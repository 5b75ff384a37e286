"""The annex table of the Tianjin rules (天津市政务服务"好差评"实施细则, 附表): 36 matter tags, 13 staff tags."""

from django.db import migrations

MATTER_TAGS = {
    5: [
        "一窗受理一次办结",
        "可以先受理后补材料",
        "不用提交由政府部门出具的各种证明材料",
        "可以全程网上办理",
        "可以使用手机办理",
        "可以就近办理",
        "无需材料直接办理",
    ],
    4: [
        "填写一张表单就可以完成申报",
        "可以在线提交申报材料，到窗口核验原件",
        "一张清单告知全部申报材料",
        "可以用告知承诺减免申报材料",
        "可以在线预约办理",
        "跑大厅一次办完",
        "可以使用自助机办理",
    ],
    3: [
        "一次性告知需要补正的材料",
        "提供申报材料样本",
        "在承诺的时间内办结",
        "办事指南指引准确",
        "按办事指南要求的材料即可办理",
        "可以快递送达",
        "跑动次数与承诺的一致",
    ],
    2: [
        "没有提供材料样本",
        "没有提供材料清单",
        "未在承诺时间内办结",
        "同样内容的证明材料被要求多次提交",
        "承诺网办但无法在线办理",
        "在线预约办理后到实体大厅重复取号排队",
        "其他",
    ],
    1: [
        "在办事指南之外增加新的审批条件",
        "需提供办事指南之外的申报材料",
        "无理由超过法定办理时间",
        "办事指南提供样本有错",
        "承诺在线收取申报材料实际无法收取",
        "多头跑窗口和部门",
        "跑动次数与承诺的不一致",
        "其他",
    ],
}

STAFF_TAGS = {
    5: ["微笑服务，热情周到", "业务精通，办事效率高"],
    4: ["主动服务，礼貌用语", "业务熟悉，办事效率较高"],
    3: ["业务较熟悉，能够完成申办业务", "服务态度一般"],
    2: ["态度生硬，不主动不热情，询问不能及时回答", "窗口人员业务不熟，办事效率较低", "其他"],
    1: ["态度恶劣，故意刁难", "业务非常不熟悉，办事效率低", "对办事材料不能一次告知或告知不清晰具体", "其他"],
}


def seed(apps, schema_editor):
    Tag = apps.get_model("evaluations", "Tag")
    for target, prefix, table in (("matter", "M", MATTER_TAGS), ("staff", "S", STAFF_TAGS)):
        for grade, texts in table.items():
            for position, text in enumerate(texts, start=1):
                Tag.objects.update_or_create(
                    code=f"{prefix}{grade}-{position:02d}",
                    defaults={"text": text, "grade": grade, "target": target, "position": position},
                )


def unseed(apps, schema_editor):
    apps.get_model("evaluations", "Tag").objects.filter(code__regex=r"^[MS][1-5]-\d\d$").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
