import { api, type Page } from '../../lib/api';

export type Product = { id: string; name: string; sku: string | null; series: string | null; unitPrice: number; currency: string; isActive: boolean; version: number; createdAt: string; updatedAt: string };
export type ProductInput = { name?: string; sku?: string | null; series?: string | null; unitPrice?: number; currency?: string; isActive?: boolean };
export type ProductFilters = { q?: string; isActive?: string };

export const listProducts = (filters: ProductFilters, cursor: string | undefined, signal: AbortSignal) => api.get<Page<Product>>('/products', { ...filters, cursor, limit: 50 }, signal);
export const createProduct = (input: ProductInput) => api.post<Product>('/products', input);
export const updateProduct = (product: Product, changes: ProductInput) => api.patch<Product>(`/products/${product.id}`, changes, product.version);
