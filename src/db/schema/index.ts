export * from "./tenancy";
export * from "./stations";
export * from "./menu";
export * from "./orders";
export * from "./payments";
export * from "./guest";
export * from "./square";
