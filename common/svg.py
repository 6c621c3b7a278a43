"""Server-rendered SVG charts, shared by the web pages and the PDF report.

Each chart is a plain function returning SVG markup (a SafeString) built from domain data, with a
<title> and text labels so that colour is never the only carrier of meaning. One file per chart.
"""
