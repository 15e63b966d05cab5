"""The look of ``render_html``'s pages: Slack's light theme, near enough to read as Slack."""

from __future__ import annotations

STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #ffffff; }
body {
  font: 15px/1.46668 Lato, "Helvetica Neue", Helvetica, "Liberation Sans", Arial, sans-serif,
    "Noto Color Emoji";
  color: #1d1c1d; -webkit-font-smoothing: antialiased;
}
.emoji { font-family: "Noto Color Emoji", sans-serif; font-size: 1.05em; }
b { font-weight: 700; }
code {
  font: 12px/1.5 Monaco, Menlo, "DejaVu Sans Mono", monospace; color: #c01343;
  background: #f7f7f9; border: 1px solid #e0e0e0; border-radius: 3px; padding: 1px 3px;
}
pre {
  font: 12px/1.5 Monaco, Menlo, "DejaVu Sans Mono", monospace; background: #f7f7f9;
  border: 1px solid #e0e0e0; border-radius: 4px; padding: 8px; margin: 4px 0;
  white-space: pre-wrap;
}
blockquote { margin: 4px 0; padding-left: 12px; border-left: 4px solid #dddddd; }
a.link, span.link { color: #1264a3; text-decoration: none; }
.mention, .channel {
  color: #1264a3; background: rgba(29, 155, 209, 0.1); border-radius: 3px; padding: 0 2px;
}
hr { border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }

.topbar {
  display: flex; align-items: center; gap: 8px; height: 49px; padding: 0 20px;
  border-bottom: 1px solid #dddddd; font-weight: 900; font-size: 18px;
}
.topbar .sub { font-weight: 400; font-size: 13px; color: #616061; }
.app-badge {
  font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8; border-radius: 2px;
  padding: 1px 3px; letter-spacing: 0.3px;
}
.avatar {
  width: 36px; height: 36px; flex: none; border-radius: 6px; background: #4a154b; color: #fff;
  font: 700 18px/36px Lato, "Liberation Sans", sans-serif; text-align: center;
}
.avatar.small { width: 24px; height: 24px; font-size: 13px; line-height: 24px; border-radius: 4px; }

.message { display: flex; gap: 8px; padding: 12px 20px 16px; }
.message .body { flex: 1; min-width: 0; }
.meta { display: flex; align-items: baseline; gap: 6px; margin-bottom: 2px; }
.meta .sender { font-weight: 900; }
.meta .time { font-size: 12px; color: #616061; }

.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 12px 0 4px; }
.section { display: flex; gap: 12px; margin: 6px 0; }
.section .main { flex: 1; min-width: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 8px; }
.accessory { flex: none; }
.context {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 6px 0;
  font-size: 12px; color: #616061;
}
.context code { font-size: 11px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.button {
  display: inline-block; height: 28px; padding: 0 12px; font-size: 13px; font-weight: 700;
  line-height: 26px; border: 1px solid #c4c4c4; border-radius: 4px; background: #ffffff;
  color: #1d1c1d; white-space: nowrap;
}
.button.primary { background: #007a5a; border-color: #007a5a; color: #ffffff; }
.button.danger { background: #e01e5a; border-color: #e01e5a; color: #ffffff; }
.button.overflow { padding: 0 8px; }
.image-block { margin: 8px 0; }
.image-title { font-size: 13px; color: #616061; margin-bottom: 4px; }
img.large { max-width: 100%; max-height: 360px; border-radius: 4px; border: 1px solid #eeeeee; }
img.small { width: 20px; height: 20px; border-radius: 3px; }
.image-box {
  display: inline-block; border: 1px dashed #bbbbbb; border-radius: 4px; color: #616061;
  background: #f8f8f8; font-size: 13px; padding: 24px 16px;
}
.image-box.small { padding: 0 4px; font-size: 11px; }

.input { margin: 0 0 16px; }
.label { font-weight: 700; margin-bottom: 6px; }
.optional { font-weight: 400; color: #616061; }
.hint { font-size: 13px; color: #616061; margin-top: 4px; }
.field-input {
  display: flex; align-items: center; justify-content: space-between; gap: 8px;
  min-height: 40px; padding: 8px 12px; border: 1px solid #bbbbbb; border-radius: 4px;
  background: #ffffff; font-size: 15px; min-width: 160px;
}
.field-input.tall { min-height: 80px; align-items: flex-start; }
.field-input.empty span:first-child { color: #868686; }
.field-input .picker { color: #616061; }
.accessory .field-input { min-height: 32px; padding: 4px 10px; font-size: 14px; }
.choices .choice { margin: 4px 0; }
.rich ul, .rich ol { margin: 2px 0; padding-left: 24px; }
.unknown { color: #868686; font-style: italic; font-size: 13px; }

.home-body { padding: 8px 24px 24px; }
.home .tabs { display: flex; gap: 20px; margin-left: 24px; font-size: 14px; font-weight: 400; }
.home .tab { color: #616061; padding: 13px 0; }
.home .tab.on { color: #1d1c1d; font-weight: 700; box-shadow: inset 0 -2px 0 #1264a3; }

html.dimmed, html.dimmed body { background: #8a8a8a; }
.backdrop { padding: 20px; }
.modal {
  width: 520px; margin: 0 auto; background: #ffffff; border-radius: 8px;
  box-shadow: 0 0 0 1px rgba(0, 0, 0, 0.1), 0 18px 48px rgba(0, 0, 0, 0.35); overflow: hidden;
}
.modal-head {
  display: flex; align-items: center; gap: 10px; padding: 18px 20px 14px;
  font-size: 22px; font-weight: 900;
}
.modal-head .title { flex: 1; }
.modal-head .close { font-size: 18px; font-weight: 400; color: #616061; }
.modal-body { padding: 4px 28px 12px; }
.modal-body > .section, .modal-body > .context, .modal-body > .actions { margin-bottom: 14px; }
.modal-foot {
  display: flex; justify-content: flex-end; gap: 12px; padding: 20px 28px;
  border-top: 1px solid #dddddd;
}
.modal-foot .button { height: 36px; line-height: 34px; padding: 0 16px; font-size: 15px; }
"""
