"""The hosted checkout page (a Jinja template kept in code, so it ships with the package)."""

# ruff: noqa: E501

CHECKOUT_HTML = r"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% if error %}Error: {% endif %}Pay {{ amount }} – local test checkout</title>
  <style>
    body { font-family: Arial, sans-serif; margin: 0; color: #0b0c0c; background: #f3f2f1; line-height: 1.4; }
    header, main, footer { max-width: 36rem; margin: 0 auto; padding: 1rem; }
    header { background: #1d2b4f; color: #fff; max-width: none; }
    header p { max-width: 36rem; margin: 0 auto; font-weight: bold; }
    main { background: #fff; }
    h1 { font-size: 1.6rem; margin-top: 0; }
    .test { border-left: 6px solid #b58840; padding: .5rem 1rem; background: #fff7e6; }
    .error { border: 4px solid #d4351c; padding: 1rem; }
    .error h2 { margin-top: 0; font-size: 1.2rem; }
    fieldset { border: 0; padding: 0; margin: 1.5rem 0; }
    legend { font-weight: bold; font-size: 1.2rem; margin-bottom: .5rem; }
    .card { display: flex; align-items: center; gap: .5rem; margin: .5rem 0; }
    .card input { width: 1.5rem; height: 1.5rem; }
    button { font-size: 1.1rem; padding: .6rem 1.2rem; border: 0; border-radius: 0; cursor: pointer; }
    .pay { background: #00703c; color: #fff; box-shadow: 0 2px 0 #002d18; }
    .cancel { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; margin-left: 1rem; }
    button:focus { outline: 3px solid #fd0; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .4rem 0; border-bottom: 1px solid #b1b4b6; }
    td.amount, th.amount { text-align: right; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  </style>
</head>
<body>
<header><p>Local test checkout (Stripe-compatible)</p></header>
<main id="main">
  {% if error %}
  <div class="error" role="alert" aria-labelledby="error-title" tabindex="-1">
    <h2 id="error-title">Your payment did not go through</h2>
    <p>{{ error }} No money was taken. Choose another card or go back.</p>
  </div>
  {% endif %}
  {% if session.status == "open" %}
  <h1>Pay {{ amount }}</h1>
  <table>
    <caption class="visually-hidden">What you are paying for</caption>
    <thead><tr><th scope="col">Item</th><th scope="col" class="amount">Amount</th></tr></thead>
    <tbody>
    {% for item in items %}
      <tr><td>{{ item.price_data.product_data.name }}</td>
          <td class="amount">£{{ "%.2f"|format((item.price_data.unit_amount|int) * (item.quantity|default(1)|int) / 100) }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  <p class="test">This is a local test page: no real card is used and no money moves.
    Choose a test card to see what happens when a payment succeeds or fails.</p>
  <form method="post" action="/checkout/{{ session.id }}">
    <fieldset>
      <legend>Test card</legend>
      {% for number, shown, outcome in cards %}
      <div class="card">
        <input type="radio" name="card" id="card-{{ loop.index }}" value="{{ number }}" {% if loop.first %}checked{% endif %}>
        <label for="card-{{ loop.index }}">{{ shown }}: {{ outcome }}</label>
      </div>
      {% endfor %}
    </fieldset>
    <button type="submit" name="action" value="pay" class="pay">Pay {{ amount }}</button>
    <button type="submit" name="action" value="cancel" class="cancel">Cancel and go back</button>
  </form>
  {% elif session.status == "complete" %}
  <h1>Payment complete</h1>
  <p><a href="{{ session.success_url|replace('{CHECKOUT_SESSION_ID}', session.id) }}">Go back to the site</a></p>
  {% else %}
  <h1>This payment page has expired</h1>
  <p><a href="{{ session.cancel_url }}">Go back to the site</a> and start again.</p>
  {% endif %}
</main>
</body>
</html>
"""
