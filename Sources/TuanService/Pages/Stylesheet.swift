/// The one stylesheet, served at `/assets/tuan.css`. Text colours keep at least WCAG AA
/// contrast (4.5:1) on white, as does white on the accent; layouts collapse to one column on phones.
enum Stylesheet {
    static let css = """
        :root{--ink:#1a202c;--muted:#4a5568;--line:#cbd5e0;--accent:#9b1c1c;--accent-ink:#fff;--ok:#22543d;--soft:#f7fafc;--firm:#2c5282;--proj:#90cdf4;--band:#bee3f8}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;color:var(--ink);background:#fff}
        a{color:#1c4ed8}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
        .top{border-bottom:1px solid var(--line);padding:8px 16px}
        .top nav{display:flex;gap:16px;align-items:center;flex-wrap:wrap}
        .brand{font-weight:700;text-decoration:none;color:var(--accent);font-size:1.2rem}
        .who{color:var(--muted);margin-left:auto}
        main{max-width:1100px;margin:0 auto;padding:16px}
        .foot{color:var(--muted);text-align:center;padding:24px;font-size:.9rem}
        h1{font-size:1.6rem;margin:.2em 0 .4em}h2{font-size:1.25rem;margin:1.4em 0 .5em}
        .grid{display:grid;grid-template-columns:3fr 2fr;gap:24px}
        @media (max-width:720px){.grid{grid-template-columns:1fr}}
        .card{border:1px solid var(--line);border-radius:8px;padding:16px;background:#fff}
        .card>h2:first-child,.card>figcaption{margin-top:0}
        figure{margin:0}figcaption{font-weight:600;margin-bottom:8px}
        .stat{display:flex;gap:24px;flex-wrap:wrap;margin:8px 0}
        .stat div{min-width:6em}.stat b{display:block;font-size:1.4rem}
        .stat span{color:var(--muted);font-size:.9rem}
        svg.bar{width:100%;height:20px;border:1px solid var(--line);border-radius:4px}
        table{border-collapse:collapse;width:100%;margin:8px 0}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-size:.9rem;color:var(--muted)}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.current{background:#fff5f5;font-weight:700}
        .badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85rem;border:1px solid var(--line)}
        .badge.ok{color:var(--ok);border-color:var(--ok)}.badge.warn{color:var(--accent);border-color:var(--accent)}
        form.stack label{display:block;font-weight:600;margin-top:12px}
        form.stack input,form.stack select,form.stack textarea{width:100%;padding:8px;font:inherit;border:1px solid #718096;border-radius:6px}
        form.stack .hint{color:var(--muted);font-size:.9rem;font-weight:400}
        .field-error{color:var(--accent);font-weight:600;margin:4px 0 0}
        form.stack fieldset.choices{border:1px solid var(--line);border-radius:6px;margin:12px 0 0;padding:8px 12px}
        form.stack label.choice{font-weight:400;margin-top:4px}form.stack label.choice input{width:auto;margin-right:6px}
        input[aria-invalid=true]{border-color:var(--accent)!important;outline:2px solid var(--accent)}
        button,.button{margin-top:16px;background:var(--accent);color:var(--accent-ink);border:0;border-radius:6px;padding:10px 18px;font:inherit;font-weight:600;cursor:pointer}
        button.link{background:none;color:#1c4ed8;padding:0;margin:0;text-decoration:underline;font-weight:400}
        form.inline{display:inline}
        .error{color:var(--accent);font-weight:600}
        .notice{border-left:4px solid var(--ok);background:#f0fff4;padding:8px 12px}
        .alert{border-left:4px solid var(--accent);background:#fff5f5;padding:8px 12px}
        .share{word-break:break-all;background:var(--soft);padding:8px;border-radius:6px}
        svg{max-width:100%;height:auto}
        svg text{font:12px system-ui,sans-serif;fill:var(--muted)}
        .legend{color:var(--muted);font-size:.9rem}
        .swatch{display:inline-block;width:12px;height:12px;vertical-align:middle;margin:0 4px 0 12px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}
        .languages{margin-left:12px}
        .lead{font-size:1.05rem;color:var(--muted);white-space:pre-line}
        .share-qr svg.qr{width:180px;height:180px;display:block}
        .poster{max-width:420px;margin:0 auto;border:2px solid var(--accent);border-radius:16px;padding:20px;text-align:center;background:#fff}
        .poster h1{font-size:1.7rem}.poster-kicker{color:var(--accent);font-weight:700;letter-spacing:.1em;margin:0}
        .poster-price strong{font-size:2.4rem;color:var(--accent)}.poster-price span{color:var(--muted)}
        .poster-qr svg.qr{width:260px;height:260px;display:block;margin:8px auto}
        .poster-qr figcaption{font-weight:600}
        .poster-link{word-break:break-all;font-size:.8rem;color:var(--muted)}
        @media print{.top,.foot,.no-print{display:none}.poster{border-width:1px}}
        """
}
