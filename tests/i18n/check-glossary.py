#!/usr/bin/env python3
"""The catalogs use the glossary's words: the status words, the workflow
titles, the pending-changes warning and the other terms of the window are
exactly the ones the glossary gives each language, and product names stay
as they are.

Usage: check-glossary.py SOURCE_ROOT
"""
import ast
import os
import subprocess
import sys
import tempfile

# (msgctxt or None, msgid) → {language: msgstr}, from the glossary.
GLOSSARY = {
    (None, "Workflows"): dict(de="Workflows", es="Flujos de trabajo", it="Flussi di lavoro", ja="ワークフロー", zh_CN="工作流"),
    (None, "Workflow"): dict(de="Workflow", es="Flujo de trabajo", it="Flusso di lavoro", ja="ワークフロー", zh_CN="工作流"),
    ("column", "Backlog"): dict(de="Rückstand", es="Pendientes", it="Backlog", ja="バックログ", zh_CN="积压"),
    (None, "Status"): dict(de="Status", es="Estado", it="Stato", ja="ステータス", zh_CN="状态"),
    ("status", "Running"): dict(de="Wird ausgeführt", es="En ejecución", it="In esecuzione", ja="実行中", zh_CN="正在运行"),
    ("status", "Stopped"): dict(de="Gestoppt", es="Detenido", it="Arrestato", ja="停止済み", zh_CN="已停止"),
    ("status", "Starting"): dict(de="Wird gestartet", es="Iniciando", it="Avvio in corso", ja="開始中", zh_CN="正在启动"),
    ("status", "Failed"): dict(de="Fehlgeschlagen", es="Error", it="Non riuscito", ja="失敗", zh_CN="失败"),
    (None, "Edit"): dict(de="Bearbeiten", es="Editar", it="Modifica", ja="編集", zh_CN="编辑"),
    ("action", "Start"): dict(de="Starten", es="Iniciar", it="Avvia", ja="開始", zh_CN="开始"),
    ("action", "Stop"): dict(de="Stoppen", es="Detener", it="Interrompi", ja="停止", zh_CN="停止"),
    (None, "Microsoft Dynamics 365 to Campaign"): dict(
        de="Microsoft Dynamics 365 zu Campaign", es="Microsoft Dynamics 365 a Campaign",
        it="Da Microsoft Dynamics 365 a Campaign", ja="Microsoft Dynamics 365 から Campaign へ",
        zh_CN="Microsoft Dynamics 365 到 Campaign"),
    (None, "Campaign to Microsoft Dynamics 365"): dict(
        de="Campaign zu Microsoft Dynamics 365", es="Campaign a Microsoft Dynamics 365",
        it="Da Campaign a Microsoft Dynamics 365", ja="Campaign から Microsoft Dynamics 365 へ",
        zh_CN="Campaign 到 Microsoft Dynamics 365"),
    (None, "Opt-in/Opt-out"): dict(de="Opt-in/Opt-out", es="Inclusión/exclusión", it="Consenso/rinuncia",
                                   ja="オプトイン/オプトアウト", zh_CN="选择加入/选择退出"),
    (None, "Email Marketing Events"): dict(
        de="E-Mail-Marketing-Ereignisse", es="Eventos de marketing por correo electrónico",
        it="Eventi di marketing e-mail", ja="メールマーケティングイベント", zh_CN="电子邮件营销事件"),
    ("event", "Send"): dict(de="Versand", es="Envío", it="Invio", ja="送信", zh_CN="发送"),
    ("event", "Open"): dict(de="Öffnung", es="Apertura", it="Apertura", ja="開封", zh_CN="打开"),
    ("event", "Click"): dict(de="Klick", es="Clic", it="Clic", ja="クリック", zh_CN="点击"),
    ("event", "Bounce"): dict(de="Bounce", es="Rebote", it="Mancato recapito", ja="バウンス", zh_CN="退回"),
    (None, "Both ways"): dict(de="Bidirektional", es="Bidireccional", it="Bidirezionale", ja="双方向", zh_CN="双向"),
    (None, "Field Mapping"): dict(de="Feldzuordnung", es="Asignación de campos", it="Mappatura dei campi",
                                  ja="フィールドマッピング", zh_CN="字段映射"),
    (None, "Replay"): dict(de="Erneut abspielen", es="Volver a reproducir", it="Riproduci di nuovo",
                           ja="再生", zh_CN="重放"),
    (None, "Error log"): dict(de="Fehlerprotokoll", es="Registro de errores", it="Registro errori",
                              ja="エラーログ", zh_CN="错误日志"),
    (None, "Changes take effect after the workflow is stopped and started again"): dict(
        de="Änderungen werden wirksam, nachdem der Workflow gestoppt und erneut gestartet wurde",
        es="Los cambios se aplican después de detener e iniciar de nuevo el flujo de trabajo",
        it="Le modifiche avranno effetto dopo l'arresto e il riavvio del flusso di lavoro",
        ja="変更はワークフローを停止して再度開始した後に有効になります",
        zh_CN="更改将在工作流停止并重新启动后生效"),
}
PRODUCTS = ["Microsoft Dynamics 365", "Dynamics 365", "Adobe Campaign Standard",
            "Adobe Campaign", "Campaign"]

root = sys.argv[1]
failures = []
with tempfile.TemporaryDirectory() as tmp:
    for lang in ("de", "es", "it", "ja", "zh_CN"):
        po = os.path.join(root, "po", lang + ".po")
        mo = os.path.join(tmp, lang + ".mo")
        subprocess.run(["msgfmt", "-o", mo, po], check=True)
        # msgunfmt writes the compiled catalog back one entry per line
        # pair, without wrapping, which is easy to read here.
        text = subprocess.run(["msgunfmt", "--no-wrap", mo], check=True,
                              capture_output=True, text=True).stdout
        entries = {}
        for block in text.split("\n\n"):
            ctx = msgid = msgstr = None
            for line in block.splitlines():
                if line.startswith("msgctxt "):
                    ctx = ast.literal_eval(line[8:])
                elif line.startswith("msgid "):
                    msgid = ast.literal_eval(line[6:])
                elif line.startswith("msgstr "):
                    msgstr = ast.literal_eval(line[7:])
                elif line.startswith("msgstr[0] "):
                    msgstr = ast.literal_eval(line[10:])
            if msgid:
                entries[(ctx, msgid)] = msgstr
        for key, words in GLOSSARY.items():
            got = entries.get(key)
            if got != words[lang]:
                failures.append(f"{lang}: {key[1]!r} ({key[0] or 'no context'}) is {got!r}, "
                                f"the glossary says {words[lang]!r}")
        # Product names are kept: a msgid naming one has it in its msgstr.
        for (ctx, msgid), msgstr in entries.items():
            for name in PRODUCTS:
                if name in msgid:
                    if name not in (msgstr or ""):
                        failures.append(f"{lang}: {msgid!r} loses the name {name!r}: {msgstr!r}")
                    break

for failure in failures:
    print(failure, file=sys.stderr)
print(f"{len(GLOSSARY)} glossary terms in 5 languages, {len(failures)} mismatches")
sys.exit(1 if failures else 0)
