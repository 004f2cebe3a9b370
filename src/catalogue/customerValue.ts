import type { CatalogueEntry } from "./entry";

/** Customer value: IMC.CLV and the probabilistic models (IMC.CUSTOMERS, IMC.CLV.FIT, IMC.CLV.PREDICT, and their .SUMMARY forms). */
export const CUSTOMER_VALUE_FUNCTIONS: readonly CatalogueEntry[] = [
  {
    name: "IMC.CLV",
    id: "CLV",
    category: "Customer value",
    signature: "IMC.CLV(margin, retention_rate, discount_rate, [periods], [margin_now])",
    summary:
      "Customer lifetime value from margin per period, retention rate and discount rate; works cell by cell over ranges.",
    example: "=IMC.CLV(100, 0.8, 0.1)",
    exampleResult: "266.67",
    returns: "A number: the customer's lifetime value.",
  },
  {
    name: "IMC.CUSTOMERS",
    id: "CUSTOMERS",
    category: "Customer value",
    signature: "IMC.CUSTOMERS(customer_ids, order_dates, order_values, [as_of], [period])",
    summary:
      "Per-customer summary of an order list: first and last order, orders, repeat purchases (frequency), recency, age (T), total and average repeat value.",
    example: '=IMC.CUSTOMERS({"a";"a";"b"}, {"2024-01-05";"2024-02-10";"2024-01-20"}, {20;35;50})',
    exampleResult: "Customer",
    returns: "A table: one row per customer with first and last order, orders, repeat purchases (frequency), recency, T, total and average value.",
  },
  {
    name: "IMC.CLV.FIT",
    id: "CLV.FIT",
    category: "Customer value",
    signature: "IMC.CLV.FIT(customer_ids, order_dates, order_values, [model], [as_of], [period])",
    summary:
      "Fits BG/NBD (default), MBG/NBD or Pareto/NBD for purchases, or with \"auto\" the best of the three by log-likelihood (the NBD without drop-out when customers show none), and Gamma-Gamma for spend; shows parameters, standard errors, log-likelihoods, the model choice and counts.",
    example:
      '=IMC.CLV.FIT({"a";"a";"a";"a";"a";"a";"a";"b";"b";"b";"c";"d";"e";"f";"f";"f";"f";"f";"g";"g";"g";"g";"h";"i";"i"}, {45346;45370;45388;45398;45444;45459;45463;45312;45329;45344;45330;45321;45313;45350;45363;45406;45427;45466;45304;45323;45344;45449;45298;45309;45345}, {50;60;40;50;50;30;50;40;10;40;30;40;20;30;10;10;30;60;40;40;10;30;40;50;50})',
    exampleResult: "Parameter",
    returns: "A table: the fitted parameters with standard errors, the log-likelihoods and the model chosen.",
  },
  {
    name: "IMC.CLV.PREDICT",
    id: "CLV.PREDICT",
    category: "Customer value",
    signature:
      "IMC.CLV.PREDICT(customer_ids, order_dates, order_values, [horizon], [annual_discount_rate], [model], [as_of], [period])",
    summary:
      "Per customer: probability of still being active, expected purchases and average value over the horizon, and discounted lifetime value (CLV); purchase model bgnbd (default), mbgnbd, pareto or auto.",
    example:
      '=IMC.CLV.PREDICT({"a";"a";"a";"a";"a";"a";"a";"b";"b";"b";"c";"d";"e";"f";"f";"f";"f";"f";"g";"g";"g";"g";"h";"i";"i"}, {45346;45370;45388;45398;45444;45459;45463;45312;45329;45344;45330;45321;45313;45350;45363;45406;45427;45466;45304;45323;45344;45449;45298;45309;45345}, {50;60;40;50;50;30;50;40;10;40;30;40;20;30;10;10;30;60;40;40;10;30;40;50;50}, 52, 0.1)',
    exampleResult: "Customer",
    returns: "A table: one row per customer with P(alive), expected purchases, expected order value and CLV.",
  },
  {
    name: "IMC.CLV.FIT.SUMMARY",
    id: "CLV.FIT.SUMMARY",
    category: "Customer value",
    signature: "IMC.CLV.FIT.SUMMARY(frequency, recency, T, [monetary], [counts], [model], [period])",
    summary:
      "IMC.CLV.FIT from a customer summary instead of orders: frequency, recency and T per customer (or per group of customers with counts), optionally the average value for Gamma-Gamma; a warehouse can send the summary instead of the orders.",
    example: "=IMC.CLV.FIT.SUMMARY({0;1;1;2;3;4;6;0;2;1}, {0;10;30;20;35;28;38;0;8;3}, {39;39;38;39;38;36;39;30;37;33}, , {600;120;80;60;40;25;10;300;30;90})",
    exampleResult: "Parameter",
    returns: "A table: the fitted parameters with standard errors, the log-likelihoods, the model chosen and the customers counted.",
  },
  {
    name: "IMC.CLV.PREDICT.SUMMARY",
    id: "CLV.PREDICT.SUMMARY",
    category: "Customer value",
    signature:
      "IMC.CLV.PREDICT.SUMMARY(frequency, recency, T, [monetary], [counts], [horizon], [annual_discount_rate], [model], [period])",
    summary:
      "IMC.CLV.PREDICT from a customer summary instead of orders: per row, probability of still being active, expected purchases, expected average value and discounted lifetime value (CLV); rows may be groups of customers with counts.",
    example: "=IMC.CLV.PREDICT.SUMMARY({0;1;1;2;3;4;6;0;2;1}, {0;10;30;20;35;28;38;0;8;3}, {39;39;38;39;38;36;39;30;37;33}, , {600;120;80;60;40;25;10;300;30;90}, 52, 0.1)",
    exampleResult: "Customers",
    returns: "A table: one row per summary row with its customer count, P(alive), expected purchases, expected average value and CLV.",
  },
];
